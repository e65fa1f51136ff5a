// Drives the admin dashboard (/ui/) in jsdom against a running gateway, as a person would: signs in, creates a key
// through the form, rotates and revokes it, opens every view; then signs in as an auditor and counts the write controls.
// Prints one JSON object on stdout. Environment: CHARTER_UI_URL (the gateway's /ui/), CHARTER_ADMIN_KEY, CHARTER_AUDITOR_KEY.
import { JSDOM } from 'jsdom';

const url = process.env.CHARTER_UI_URL;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what, check, timeoutMs = 10000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

async function open(key, prompts) {
  const errors = [];
  const dom = await JSDOM.fromURL(url, {
    runScripts: 'dangerously',
    resources: 'usable',
    pretendToBeVisual: true,
    beforeParse(window) {
      // jsdom has no fetch: the page's requests go through Node's, to the same origin.
      window.fetch = (input, init) => fetch(new URL(input, url), init);
      window.confirm = () => true;
      window.prompt = () => prompts.shift() ?? null;
      window.addEventListener('error', (e) => errors.push(String(e.message)));
    },
  });
  const { document } = dom.window;
  await waitFor('the sign-in form', () => document.getElementById('signin-form'));
  await waitFor('app.js', () => dom.window.document.readyState === 'complete');
  document.getElementById('signin-key').value = key;
  document.getElementById('signin-form').dispatchEvent(new dom.window.Event('submit', { cancelable: true }));
  const who = await waitFor('signed in', () => document.getElementById('who').textContent);
  return { dom, document, who, errors };
}

async function go(page, hash) {
  const before = page.document.querySelector('#main section');
  page.dom.window.location.hash = hash;
  // A view is done when it has replaced the one before and shows its h1 and its data (a table, cards, a note) or an error.
  return waitFor(`view ${hash}`, () => {
    const section = page.document.querySelector('#main section');
    if (!section || section === before) return null;
    const h1 = section.querySelector('h1');
    const ready = section.querySelector('table, .cards, pre, .error');
    return h1 && ready ? { title: h1.textContent, error: section.querySelector('p.error')?.textContent ?? null } : null;
  });
}

function rowOf(document, text) {
  return [...document.querySelectorAll('#main tbody tr')].find((tr) => tr.textContent.includes(text));
}

const result = { views: {} };
// The stubbed prompts answer, in order: the edit's purposes and models, then the rotation's grace period.
const admin = await open(process.env.CHARTER_ADMIN_KEY, ['testing', 'gpt-4o', '0']);
result.signedInAs = admin.who;

// Create a key through the form.
await go(admin, '#keys');
const form = admin.document.querySelector('#main form.row');
const inputs = form.querySelectorAll('input');
inputs[0].value = 'ui-team';
inputs[1].value = 'testing, evaluation';
inputs[5].value = 'made in the dashboard';
form.dispatchEvent(new admin.dom.window.Event('submit', { cancelable: true }));
result.createdSecret = await waitFor('the new secret', () => admin.document.querySelector('.secret code')?.textContent);
const row = await waitFor('the key row', () => rowOf(admin.document, 'made in the dashboard'));
result.createdKeyId = row.querySelector('code').textContent;

// Edit its purposes and models, rotate it (0 s of grace), then revoke it.
[...row.querySelectorAll('button')].find((b) => b.textContent === 'Edit').click();
const edited = await waitFor('the edited row', () => {
  const r = rowOf(admin.document, result.createdKeyId);
  return r && r.children[7].textContent === 'gpt-4o' ? r : null;
});
result.editedPurposes = edited.children[4].textContent;
result.editedModels = edited.children[7].textContent;
[...edited.querySelectorAll('button')].find((b) => b.textContent === 'Rotate').click();
result.rotatedSecret = await waitFor('the rotated secret', () => {
  const shown = admin.document.querySelector('.secret code')?.textContent;
  return shown && shown !== result.createdSecret ? shown : null;
});
const again = await waitFor('the key row', () => rowOf(admin.document, result.createdKeyId));
[...again.querySelectorAll('button')].find((b) => b.textContent === 'Revoke').click();
result.stateAfterRevoke = await waitFor('revoked', () => {
  const r = rowOf(admin.document, result.createdKeyId);
  return r && r.textContent.includes('revoked') ? 'revoked' : null;
});

for (const view of ['overview', 'teams', 'requests', 'usage', 'findings', 'admin-keys', 'audit', `lifecycle/keys/${result.createdKeyId}`]) {
  result.views[view] = await go(admin, '#' + view);
}
result.lifecycleHistory = [...admin.document.querySelectorAll('#main tbody tr')].map((tr) => tr.children[1]?.textContent).filter(Boolean);

// The team's own limits, set through the lifecycle page's limits form.
const teamId = (await (await fetch(new URL('/admin/v1/keys/' + result.createdKeyId, url), { headers: { Authorization: 'Bearer ' + process.env.CHARTER_ADMIN_KEY } })).json()).team;
result.limitsTeamId = teamId;
await go(admin, `#lifecycle/teams/${teamId}`);
const limitsForm = await waitFor('the limits form', () => admin.document.getElementById('limits-form'));
limitsForm.querySelector('input[name=requests_per_minute]').value = '7';
limitsForm.querySelector('input[name=daily_budget_usd]').value = '2.5';
limitsForm.dispatchEvent(new admin.dom.window.Event('submit', { cancelable: true }));
result.limitsHeading = await waitFor('saved limits', () => {
  const h2 = [...admin.document.querySelectorAll('#main h2')].find((h) => h.textContent.startsWith('Limits and budget'));
  const form = admin.document.getElementById('limits-form');
  return h2 && form && form !== limitsForm ? h2.textContent : null;
});
result.adminScriptErrors = admin.errors;

// An auditor sees the same data and no control that would change it.
const auditor = await open(process.env.CHARTER_AUDITOR_KEY, []);
result.auditorSignedInAs = auditor.who;
await go(auditor, '#keys');
result.auditorKeyRows = auditor.document.querySelectorAll('#main tbody tr').length;
result.auditorWriteControls = auditor.document.querySelectorAll('#main form.row, #main button').length;
await go(auditor, '#admin-keys');
result.auditorWriteControls += auditor.document.querySelectorAll('#main form.row, #main button').length;
result.auditorScriptErrors = auditor.errors;

console.log(JSON.stringify(result));
admin.dom.window.close();
auditor.dom.window.close();
