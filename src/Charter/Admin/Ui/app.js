// Charter admin dashboard: a thin client of the admin API (/admin/v1) and the audit API (/audit/v1).
// Everything shown comes from those APIs with the key the user signs in with; data is written into the page with
// textContent only (never as HTML), and the page's Content-Security-Policy allows no other script or origin.
'use strict';

const KEY_STORE = 'charter.adminKey';
const views = {};
let whoami = null;

// ---- helpers -------------------------------------------------------------------------------------------------------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'class') node.className = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function table(columns, rows) {
  const head = el('tr', {}, columns.map(c => el('th', { class: c.num ? 'num' : null }, c.title)));
  const body = rows.length === 0
    ? [el('tr', {}, el('td', { colspan: columns.length, class: 'muted' }, 'nothing yet'))]
    : rows.map(r => el('tr', {}, columns.map(c => el('td', { class: c.num ? 'num' : null }, c.value(r)))));
  return el('table', {}, el('thead', {}, head), el('tbody', {}, body));
}

function state(s) { return el('span', { class: 'state-' + s }, s); }
function when(t) { return t ? new Date(t).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : ''; }
function num(n) { return n === null || n === undefined ? '' : Number(n).toLocaleString('en-US'); }
function usd(n) { return n === null || n === undefined ? '' : '$' + Number(n).toFixed(4); }
function list(a) { return Array.isArray(a) ? a.join(', ') : ''; }
function splitList(text) { return text.split(',').map(s => s.trim()).filter(s => s.length > 0); }
function canWrite() { return whoami && whoami.role === 'admin'; }

function flash(message, isError) {
  const box = el('div', { class: isError ? 'error' : null }, message);
  document.getElementById('flash').append(box);
  setTimeout(() => box.remove(), isError ? 8000 : 4000);
}

class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function api(method, path, body) {
  const headers = { Authorization: 'Bearer ' + sessionStorage.getItem(KEY_STORE) };
  const init = { method, headers };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const resp = await fetch(path, init);
  const text = await resp.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = text; }
  if (!resp.ok) {
    // The admin API answers with problem details, OpenAI-shaped errors (authentication) or {"error":{…}} (audit).
    const message = (data && (data.detail || data.title || (data.error && data.error.message))) || resp.statusText;
    if (resp.status === 401) signOut('The key was refused: ' + message);
    throw new ApiError(resp.status, `${resp.status}: ${message}`);
  }
  return data;
}

async function run(action, done) {
  try {
    const result = await action();
    if (done) flash(done);
    return result;
  } catch (e) {
    flash(e.message, true);
    return undefined;
  }
}

function secretBox(title, secret, note) {
  return el('div', { class: 'secret' }, el('strong', {}, title), el('br'), el('code', {}, secret), el('br'),
    el('span', { class: 'muted' }, note || 'Shown once: store it now.'), ' ',
    el('button', { type: 'button', class: 'secondary', onclick: () => navigator.clipboard && navigator.clipboard.writeText(secret) }, 'Copy'));
}

function field(label, input) { return el('label', {}, label, input); }

// ---- views ---------------------------------------------------------------------------------------------------------

views.overview = async (root) => {
  const since = new Date(Date.now() - 7 * 86400000).toISOString();
  const [usage, keys, teams, findings, audit] = await Promise.all([
    api('GET', '/admin/v1/usage?group_by=day&from=' + encodeURIComponent(since)),
    api('GET', '/admin/v1/keys'),
    api('GET', '/admin/v1/teams'),
    api('GET', '/admin/v1/findings?limit=1000'),
    api('GET', '/audit/v1/status').catch(() => null),
  ]);
  const byState = {};
  for (const k of keys.data) byState[k.state] = (byState[k.state] || 0) + 1;
  const card = (k, v) => el('div', { class: 'card' }, el('div', { class: 'v' }, v), el('div', { class: 'k' }, k));
  root.append(el('h1', {}, 'Overview'),
    el('div', { class: 'cards' },
      card('requests, last 7 days', num(usage.total.requests)),
      card('tokens in / out, last 7 days', num(usage.total.prompt_tokens) + ' / ' + num(usage.total.completion_tokens)),
      card('spend, last 7 days', usd(usage.total.cost_usd)),
      card('keys (' + Object.entries(byState).map(([s, n]) => `${n} ${s}`).join(', ') + ')', num(keys.data.length)),
      card('teams', num(teams.data.length)),
      card('harvesting findings', num(findings.data.length)),
      card('audit log entries' + (audit && audit.checkpoint_size !== null ? `, ${num(audit.checkpoint_size)} signed` : ''), audit ? num(audit.size) : 'n/a')),
    el('h2', {}, 'Requests per day'),
    barChart(usage.rows.map(r => [r.day, r.requests])));
};

views.keys = async (root) => {
  const [keys, teams] = await Promise.all([api('GET', '/admin/v1/keys'), api('GET', '/admin/v1/teams')]);
  const teamName = Object.fromEntries(teams.data.map(t => [t.id, t.name]));
  const out = el('div');
  root.append(el('h1', {}, 'Keys'), out);
  if (canWrite()) {
    const team = el('input', { required: true, placeholder: 'team name or id', list: 'teams' });
    const purposes = el('input', { required: true, placeholder: 'evaluation, testing' });
    const def = el('input', { placeholder: 'first purpose' });
    const jurisdiction = el('input', { placeholder: 'DE', size: 4, maxlength: 2 });
    const models = el('input', { placeholder: 'all' });
    const name = el('input', { placeholder: 'optional' });
    const expires = el('input', { type: 'datetime-local' });
    const form = el('form', { class: 'row' }, el('datalist', { id: 'teams' }, teams.data.map(t => el('option', { value: t.name }))),
      field('team', team), field('purposes', purposes), field('default purpose', def), field('jurisdiction', jurisdiction),
      field('models', models), field('name', name), field('expires (UTC)', expires), el('button', { type: 'submit' }, 'Create key'));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const created = await run(() => api('POST', '/admin/v1/keys', {
        team: team.value, purposes: splitList(purposes.value), default_purpose: def.value || null,
        jurisdiction: jurisdiction.value || null, models: models.value ? splitList(models.value) : null, name: name.value || null,
        expires_at: expires.value ? expires.value + ':00Z' : null,
      }));
      if (created) { await show('keys'); document.getElementById('main').prepend(secretBox(`Key ${created.id}`, created.key)); }
    });
    root.insertBefore(form, out);
  }
  const actions = (k) => {
    if (!canWrite() || k.state === 'revoked' || k.state === 'banned') return el('a', { href: `#lifecycle/keys/${k.id}` }, 'history');
    return el('span', {},
      el('a', { href: `#lifecycle/keys/${k.id}` }, 'history'), ' ',
      el('button', { type: 'button', class: 'secondary', onclick: () => edit(k) }, 'Edit'), ' ',
      el('button', { type: 'button', class: 'secondary', onclick: () => rotate(k) }, 'Rotate'), ' ',
      el('button', { type: 'button', class: 'danger', onclick: () => revoke(k) }, 'Revoke'));
  };
  out.append(table([
    { title: 'id', value: k => el('code', {}, k.id) }, { title: 'name', value: k => k.name || '' },
    { title: 'team', value: k => teamName[k.team] || k.team }, { title: 'prefix', value: k => el('code', {}, k.prefix + '…') },
    { title: 'purposes', value: k => list(k.purposes) }, { title: 'default', value: k => k.default_purpose },
    { title: 'jurisdiction', value: k => k.jurisdiction || '' }, { title: 'models', value: k => k.models ? list(k.models) : 'all' },
    { title: 'state', value: k => state(k.expires_at && new Date(k.expires_at) <= new Date() && k.state === 'active' ? 'expired' : k.state) },
    { title: 'expires', value: k => when(k.expires_at) }, { title: 'created', value: k => when(k.created_at) }, { title: '', value: actions },
  ], keys.data));

  async function revoke(k) {
    if (!confirm(`Revoke ${k.id}? Every request with it is refused from now on; this cannot be undone.`)) return;
    if (await run(() => api('DELETE', `/admin/v1/keys/${encodeURIComponent(k.id)}`), `revoked ${k.id}`)) await show('keys');
  }

  async function edit(k) {
    const purposes = prompt(`Purposes of ${k.id} (comma-separated; replaces the list):`, list(k.purposes));
    if (purposes === null) return;
    const models = prompt(`Models ${k.id} may use (comma-separated; empty for every model):`, k.models ? list(k.models) : '');
    if (models === null) return;
    const body = { purposes: splitList(purposes), models: models.trim() ? splitList(models) : null };
    if (await run(() => api('PATCH', `/admin/v1/keys/${encodeURIComponent(k.id)}`, body), `updated ${k.id}`)) await show('keys');
  }

  async function rotate(k) {
    const grace = prompt(`New secret for ${k.id}. Seconds the old secret keeps working (0 to 604800):`, '0');
    if (grace === null) return;
    const rotated = await run(() => api('POST', `/admin/v1/keys/${encodeURIComponent(k.id)}/rotate`, { grace_seconds: Number(grace) }));
    if (rotated) {
      await show('keys');
      document.getElementById('main').prepend(secretBox(`New secret for ${rotated.id}`, rotated.key,
        rotated.previous_key_expires_at ? `Shown once. The old secret works until ${when(rotated.previous_key_expires_at)}.` : 'Shown once. The old secret no longer works.'));
    }
  }
};

views.teams = async (root) => {
  const teams = await api('GET', '/admin/v1/teams');
  root.append(el('h1', {}, 'Teams'));
  if (canWrite()) {
    const name = el('input', { required: true, maxlength: 100 });
    const form = el('form', { class: 'row' }, field('name', name), el('button', { type: 'submit' }, 'Create team'));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (await run(() => api('POST', '/admin/v1/teams', { name: name.value }), `created team ${name.value}`)) await show('teams');
    });
    root.append(form);
  }
  root.append(table([
    { title: 'id', value: t => el('code', {}, t.id) }, { title: 'name', value: t => t.name }, { title: 'state', value: t => state(t.state) },
    { title: 'created', value: t => when(t.created_at) },
    { title: '', value: t => el('span', {}, el('a', { href: `#lifecycle/teams/${t.id}` }, 'history'), ' ', el('a', { href: `#usage/team/${t.id}` }, 'usage')) },
  ], teams.data));
};

views.requests = async (root) => {
  const requests = await api('GET', '/admin/v1/requests?limit=200');
  const filter = el('input', { placeholder: 'filter: key, team, model, purpose, status, code…', size: 50 });
  const holder = el('div');
  const render = () => {
    const q = filter.value.trim().toLowerCase();
    const rows = requests.data.slice().reverse().filter(r => !q || [r.id, r.key, r.team, r.model, r.purpose, r.status, r.error_code, r.decision, r.rule, r.account]
      .some(v => v !== null && v !== undefined && String(v).toLowerCase().includes(q)));
    holder.replaceChildren(table([
      { title: 'time', value: r => when(r.ts) }, { title: 'id', value: r => el('code', {}, r.id) }, { title: 'key', value: r => r.key || '' },
      { title: 'team', value: r => r.team || '' }, { title: 'model', value: r => r.model || '' }, { title: 'account', value: r => r.account || '' },
      { title: 'purpose', value: r => r.purpose || '' }, { title: 'status', value: r => r.status ?? '' }, { title: 'code', value: r => r.error_code || '' },
      { title: 'decision', value: r => r.decision ? r.decision + (r.rule ? ` (${r.rule})` : '') : '' },
      { title: 'tokens in', num: true, value: r => num(r.prompt_tokens) }, { title: 'out', num: true, value: r => num(r.completion_tokens) + (r.estimated ? '*' : '') },
      { title: 'ms', num: true, value: r => r.latency_ms === null ? '' : Number(r.latency_ms).toFixed(1) },
      { title: 'first token ms', num: true, value: r => r.first_token_ms === null || r.first_token_ms === undefined ? '' : Number(r.first_token_ms).toFixed(1) },
    ], rows));
  };
  filter.addEventListener('input', render);
  root.append(el('h1', {}, 'Recent requests'), el('p', { class: 'muted' }, 'The newest 200 request records, newest first; prompts are never shown (they are stored as hashes). * estimated tokens; first token: streams only.'),
    el('p', {}, filter), holder);
  render();
};

views.usage = async (root, params) => {
  const dims = ['team', 'model', 'purpose', 'key', 'day'];
  const checks = Object.fromEntries(dims.map(d => [d, el('input', { type: 'checkbox', checked: d === 'model' || d === 'day' })]));
  const from = el('input', { type: 'date', value: new Date(Date.now() - 30 * 86400000).toISOString().slice(0, 10) });
  const to = el('input', { type: 'date' });
  const out = el('div');
  const form = el('form', { class: 'row' }, dims.map(d => el('label', {}, d, checks[d])), field('from', from), field('to (exclusive)', to),
    el('button', { type: 'submit' }, 'Show'));
  const load = async () => {
    const groupBy = dims.filter(d => checks[d].checked).join(',');
    let url = '/admin/v1/usage?group_by=' + encodeURIComponent(groupBy);
    if (from.value) url += '&from=' + from.value + 'T00:00:00Z';
    if (to.value) url += '&to=' + to.value + 'T00:00:00Z';
    const report = await run(() => api('GET', url));
    if (!report) return;
    const filtered = params && params.length === 2 ? report.rows.filter(r => r[params[0]] === params[1]) : report.rows;
    const label = r => report.group_by.map(d => r[d]).join(' · ') || 'all';
    out.replaceChildren(
      el('h2', {}, 'Spend'), barChart(filtered.map(r => [label(r), Number(r.cost_usd)]), usd),
      table([
        ...report.group_by.map(d => ({ title: d, value: r => r[d] ?? '' })),
        { title: 'requests', num: true, value: r => num(r.requests) }, { title: 'prompt tokens', num: true, value: r => num(r.prompt_tokens) },
        { title: 'completion tokens', num: true, value: r => num(r.completion_tokens) }, { title: 'cost', num: true, value: r => usd(r.cost_usd) },
      ], [...filtered, Object.assign({}, report.total, Object.fromEntries(report.group_by.map((d, i) => [d, i === 0 ? 'total' : ''])))]));
  };
  form.addEventListener('submit', (ev) => { ev.preventDefault(); load(); });
  if (params && params.length === 2 && checks[params[0]]) checks[params[0]].checked = true;
  root.append(el('h1', {}, 'Usage' + (params && params.length === 2 ? ` of ${params[0]} ${params[1]}` : '')), form, out);
  await load();
};

views.findings = async (root) => {
  const findings = await api('GET', '/admin/v1/findings?limit=500');
  root.append(el('h1', {}, 'Output-harvesting findings'), table([
    { title: 'crossed', value: f => when(f.crossed_at) }, { title: 'subject', value: f => el('a', { href: `#lifecycle/${f.subject_kind === 'team' ? 'teams' : 'keys'}/${f.subject_id}` }, `${f.subject_kind} ${f.subject_id}`) },
    { title: 'team', value: f => f.team }, { title: 'risk', num: true, value: f => Number(f.risk).toFixed(2) },
    { title: 'top signals', value: f => list(f.top_signals) }, { title: 'action', value: f => f.action + (f.measure ? ` (${f.measure})` : '') },
    { title: 'sample requests', value: f => el('code', {}, list((f.sample_request_ids || []).slice(0, 3))) },
  ], findings.data));
};

views.lifecycle = async (root, params) => {
  const kind = el('select', {}, ['keys', 'teams', 'accounts'].map(k => el('option', { value: k, selected: params && params[0] === k }, k)));
  const id = el('input', { required: true, placeholder: 'key_…, team_… or account name', size: 32, value: params && params[1] ? params[1] : '' });
  const out = el('div');
  const form = el('form', { class: 'row' }, field('kind', kind), field('id', id), el('button', { type: 'submit' }, 'Show'));
  form.addEventListener('submit', (ev) => { ev.preventDefault(); location.hash = `#lifecycle/${kind.value}/${id.value.trim()}`; });
  root.append(el('h1', {}, 'Lifecycle'), form, out);
  if (!params || params.length < 2) return;
  const path = `/admin/v1/${encodeURIComponent(params[0])}/${encodeURIComponent(params[1])}`;
  const history = await api('GET', path + '/history');
  const e = history.entity;
  out.append(el('h2', {}, `${e.kind} ${e.id}: `, state(e.state)),
    el('p', {}, `since ${when(e.since)}; access ${e.access_allowed ? 'allowed' : 'refused'}; holds: ${list(e.holds) || 'none'}`
      + (e.reason ? `; reason: ${e.reason}` : '') + (e.deadline ? `; deadline ${when(e.deadline)}` : '')),
    e.measures.length ? table([{ title: '#', num: true, value: m => m.index }, { title: 'remediation measure', value: m => m.description },
      { title: 'done', value: m => m.done ? `yes, ${when(m.completed_at)} by ${m.completed_by || ''}` : 'no' }], e.measures) : '');
  if (canWrite() && e.allowed_events.length) {
    const event = el('select', {}, e.allowed_events.map(ev => el('option', { value: ev }, ev)));
    const reason = el('input', { size: 40, placeholder: 'why (recorded in the history and the audit log)' });
    const hold = el('input', { size: 16, placeholder: 'geo, budget, provider_suspended' });
    const measures = el('input', { size: 30, placeholder: 'for suspend: measure, measure' });
    const measureIndex = el('input', { type: 'number', min: 0, size: 4, placeholder: '#' });
    const t = el('form', { class: 'row' }, field('transition', event), field('reason', reason), field('hold', hold), field('measures', measures),
      field('measure index', measureIndex), el('button', { type: 'submit' }, 'Apply'));
    t.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const body = {
        event: event.value, reason: reason.value || null, hold: hold.value || null, measures: measures.value ? splitList(measures.value) : null,
        measure_index: measureIndex.value === '' ? null : Number(measureIndex.value),
      };
      if (await run(() => api('POST', path + '/transitions', body), `${event.value} applied`)) await show('lifecycle', params);
    });
    out.append(t);
  }
  if (params[0] === 'keys' || params[0] === 'teams') await limitsPanel(out, path);
  out.append(el('h2', {}, 'History'), table([
    { title: 'at', value: h => when(h.at) }, { title: 'event', value: h => h.event }, { title: 'from', value: h => h.from || '' },
    { title: 'to', value: h => h.to || '' }, { title: 'actor', value: h => h.actor }, { title: 'reason', value: h => h.reason || '' },
  ], history.transitions.slice().reverse()));
};

// Own limits and budgets of a key or team (the configured defaults where it has none), with today's and this month's spend.
async function limitsPanel(out, path) {
  const limits = await api('GET', path + '/limits');
  out.append(el('h2', {}, 'Limits and budget' + (limits.own ? '' : ' (the configured defaults)')),
    table([
      { title: 'requests/min', num: true, value: l => num(l.requests_per_minute) }, { title: 'tokens/min', num: true, value: l => num(l.tokens_per_minute) },
      { title: 'concurrent', num: true, value: l => num(l.max_concurrent_requests) }, { title: 'daily budget', num: true, value: l => usd(l.daily_budget_usd) },
      { title: 'spent today', num: true, value: l => usd(l.spent_today_usd) }, { title: 'monthly budget', num: true, value: l => usd(l.monthly_budget_usd) },
      { title: 'spent this month', num: true, value: l => usd(l.spent_this_month_usd) }, { title: 'budget hold', value: l => l.budget_hold ? state('held') : 'no' },
    ], [limits]));
  if (!canWrite()) return;
  const fields = {
    requests_per_minute: limits.requests_per_minute, tokens_per_minute: limits.tokens_per_minute, max_concurrent_requests: limits.max_concurrent_requests,
    daily_budget_usd: limits.daily_budget_usd, monthly_budget_usd: limits.monthly_budget_usd,
  };
  const inputs = Object.fromEntries(Object.entries(fields).map(([name, value]) =>
    [name, el('input', { type: 'number', min: 0, step: name.endsWith('_usd') ? '0.01' : '1', name, value, size: 10 })]));
  const reset = el('input', { type: 'checkbox', name: 'reset' });
  const form = el('form', { class: 'row', id: 'limits-form' }, Object.entries(inputs).map(([name, input]) => field(name.replaceAll('_', ' '), input)),
    el('label', {}, 'back to the defaults', reset), el('button', { type: 'submit' }, 'Save limits'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = reset.checked ? { reset: true } : Object.fromEntries(Object.entries(inputs).map(([name, input]) => [name, input.value === '' ? null : Number(input.value)]));
    if (await run(() => api('PUT', path + '/limits', body), 'limits saved')) route();
  });
  out.append(form);
}

views['admin-keys'] = async (root) => {
  const keys = await api('GET', '/admin/v1/admin-keys');
  root.append(el('h1', {}, 'Admin keys'), el('p', { class: 'muted' }, 'Keys for this dashboard and the admin API. admin: read and write; auditor: read only. '
    + 'The bootstrap key (CHARTER_ADMIN_KEY) is configuration and is not listed.'));
  if (canWrite()) {
    const role = el('select', {}, el('option', { value: 'auditor' }, 'auditor'), el('option', { value: 'admin' }, 'admin'));
    const name = el('input', { maxlength: 100, placeholder: 'who or what uses it' });
    const expires = el('input', { type: 'datetime-local' });
    const form = el('form', { class: 'row' }, field('role', role), field('name', name), field('expires (UTC)', expires), el('button', { type: 'submit' }, 'Create admin key'));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const created = await run(() => api('POST', '/admin/v1/admin-keys', { role: role.value, name: name.value || null, expires_at: expires.value ? expires.value + ':00Z' : null }));
      if (created) { await show('admin-keys'); document.getElementById('main').prepend(secretBox(`${created.role} key ${created.id}`, created.key)); }
    });
    root.append(form);
  }
  root.append(table([
    { title: 'id', value: k => el('code', {}, k.id) }, { title: 'role', value: k => k.role }, { title: 'name', value: k => k.name || '' },
    { title: 'state', value: k => state(k.state) }, { title: 'created', value: k => when(k.created_at) }, { title: 'by', value: k => k.created_by || '' },
    { title: 'expires', value: k => when(k.expires_at) }, { title: 'revoked', value: k => when(k.revoked_at) },
    { title: '', value: k => canWrite() && k.state !== 'revoked' ? el('button', { type: 'button', class: 'danger', onclick: async () => {
      if (!confirm(`Revoke ${k.id}?` + (whoami.id === k.id ? ' It is the key you are signed in with.' : ''))) return;
      if (await run(() => api('DELETE', `/admin/v1/admin-keys/${encodeURIComponent(k.id)}`), `revoked ${k.id}`) && whoami.id !== k.id) await show('admin-keys');
    } }, 'Revoke') : '' },
  ], keys.data));
};

views.audit = async (root) => {
  const [status, checkpoint, publicKey] = await Promise.all([
    api('GET', '/audit/v1/status'), api('GET', '/audit/v1/checkpoint').catch(() => null), api('GET', '/audit/v1/public-key').catch(() => null),
  ]);
  root.append(el('h1', {}, 'Audit log'),
    el('p', {}, `origin ${status.origin}; ${num(status.size)} entries; newest checkpoint covers ${status.checkpoint_size === null ? 'none yet' : num(status.checkpoint_size)}; `
      + `mode ${status.mode}${status.sequencer ? ' (this instance signs)' : ''}.`),
    el('h2', {}, 'Newest signed checkpoint'), el('pre', { class: 'mono card' }, checkpoint === null ? 'none yet' : String(checkpoint)),
    el('h2', {}, 'Verifier key'), el('pre', { class: 'mono card' }, publicKey ? publicKey.key : 'n/a'),
    el('p', { class: 'muted' }, 'A provider verifies the log with the public key, `charter audit verify` and the evidence bundle of `charter audit export`.'));
};

function barChart(points, format) {
  const fmt = format || num;
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('class', 'chart');
  svg.setAttribute('viewBox', '0 0 1000 220');
  svg.setAttribute('preserveAspectRatio', 'none');
  const max = Math.max(1e-9, ...points.map(p => p[1]));
  const width = points.length ? 1000 / points.length : 1000;
  points.forEach(([label, value], i) => {
    const h = Math.round(180 * value / max);
    const rect = document.createElementNS(ns, 'rect');
    rect.setAttribute('x', String(i * width + 2));
    rect.setAttribute('y', String(190 - h));
    rect.setAttribute('width', String(Math.max(1, width - 4)));
    rect.setAttribute('height', String(h));
    const title = document.createElementNS(ns, 'title');
    title.textContent = `${label}: ${fmt(value)}`;
    rect.append(title);
    svg.append(rect);
    if (points.length <= 40) {
      const text = document.createElementNS(ns, 'text');
      text.setAttribute('x', String(i * width + 2));
      text.setAttribute('y', '205');
      text.textContent = String(label).slice(0, Math.max(4, Math.floor(width / 6)));
      svg.append(text);
    }
  });
  return svg;
}

// ---- navigation and sign-in ----------------------------------------------------------------------------------------

async function show(name, params) {
  const main = document.getElementById('main');
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', a.getAttribute('href') === '#' + name);
  const root = el('section');
  main.replaceChildren(root);
  try {
    await views[name](root, params);
  } catch (e) {
    root.append(el('p', { class: 'error' }, e.message));
  }
}

function route() {
  if (!whoami) return;
  const [name, ...params] = (location.hash.slice(1) || 'overview').split('/').map(decodeURIComponent);
  show(views[name] ? name : 'overview', params);
}

function signOut(message) {
  sessionStorage.removeItem(KEY_STORE);
  if (message) sessionStorage.setItem('charter.signoutMessage', message);
  whoami = null;
  location.reload();
}

async function signIn(key) {
  sessionStorage.setItem(KEY_STORE, key);
  try {
    whoami = await api('GET', '/admin/v1/whoami');
  } catch (e) {
    sessionStorage.removeItem(KEY_STORE);
    document.getElementById('signin-error').textContent = e.status === 401 ? 'That key is not an admin or auditor key of this gateway.' : e.message;
    return;
  }
  document.getElementById('nav').hidden = false;
  document.getElementById('signout').hidden = false;
  document.getElementById('who').textContent = `${whoami.id} (${whoami.role})`;
  route();
}

function start() {
  document.getElementById('signin-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    signIn(document.getElementById('signin-key').value.trim());
  });
  document.getElementById('signout').addEventListener('click', () => signOut());
  window.addEventListener('hashchange', route);
  const pending = sessionStorage.getItem('charter.signoutMessage');
  if (pending) {
    sessionStorage.removeItem('charter.signoutMessage');
    document.getElementById('signin-error').textContent = pending;
  }
  const key = sessionStorage.getItem(KEY_STORE);
  if (key) signIn(key);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
