// Drives a Charter gateway's /v1/messages with the official `@anthropic-ai/sdk` npm package (what Claude Code and other
// Anthropic tools are built on), and prints what it saw as one JSON object on stdout. Run by
// test/Charter.FunctionalTests/Messages/MessagesJsSdkTests.cs. Usage: node anthropic-client.mjs <scenario>
// Environment: CHARTER_ROOT_URL (the gateway's root address; the SDK adds /v1/messages), CHARTER_KEY (a ck- key),
// CHARTER_MODEL.
import Anthropic from '@anthropic-ai/sdk';

const baseURL = process.env.CHARTER_ROOT_URL;
const apiKey = process.env.CHARTER_KEY;
const model = process.env.CHARTER_MODEL;
// No retries: a test must see each answer the gateway gave, not the SDK's second try.
const client = new Anthropic({ baseURL, apiKey, maxRetries: 0, timeout: 30_000 });
const messages = [{ role: 'user', content: 'Say hello to the JavaScript SDK.' }];

function describe(err) {
  if (!(err instanceof Anthropic.APIError)) {
    return { kind: err?.constructor?.name ?? typeof err, message: String(err) };
  }

  return { kind: err.constructor.name, status: err.status ?? null, type: err.error?.error?.type ?? null, code: err.error?.error?.code ?? null,
    param: err.error?.error?.param ?? null };
}

async function attempt(call) {
  try {
    await call();
    return { kind: 'ok' };
  } catch (err) {
    return describe(err);
  }
}

const scenarios = {
  // A message, the same message streamed with the SDK's stream helper, and the SDK's error classes for Charter's refusals.
  async basics() {
    const message = await client.messages.create({ model, max_tokens: 24, system: 'Be brief.', messages });
    const stream = client.messages.stream({ model, max_tokens: 24, system: 'Be brief.', messages });
    let streamed = '';
    let events = 0;
    stream.on('text', (t) => { streamed += t; });
    stream.on('streamEvent', () => { events++; });
    const final = await stream.finalMessage();
    const wrongKey = new Anthropic({ baseURL, apiKey: 'ck-not-a-key', maxRetries: 0 });
    return {
      message: { type: message.type, role: message.role, text: message.content.map((b) => b.text ?? '').join(''), stop: message.stop_reason, usage: message.usage },
      stream: { events, text: streamed, stop: final.stop_reason, usage: final.usage },
      errors: {
        unknownKey: await attempt(() => wrongKey.messages.create({ model, max_tokens: 8, messages })),
        unknownModel: await attempt(() => client.messages.create({ model: 'claude-unknown-9', max_tokens: 8, messages })),
        noMaxTokens: await attempt(() => client.messages.create({ model, messages })),
      },
    };
  },
};

const scenario = scenarios[process.argv[2]];
if (!scenario) {
  console.error(`unknown scenario '${process.argv[2]}'; one of: ${Object.keys(scenarios).join(', ')}`);
  process.exit(2);
}

console.log(JSON.stringify(await scenario()));
