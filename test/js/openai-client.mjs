// Drives a Charter gateway with the official `openai` npm package, as a JavaScript user would, and prints what it saw
// as one JSON object on stdout. Run by test/Charter.FunctionalTests/Gateway/JsSdkTests.cs, which starts the gateway,
// creates the key and asserts on the output. Usage: node openai-client.mjs <scenario>
// Environment: CHARTER_BASE_URL (the gateway's /v1 address), CHARTER_KEY (a ck- key), CHARTER_MODEL (optional).
import OpenAI from 'openai';

const baseURL = process.env.CHARTER_BASE_URL;
const apiKey = process.env.CHARTER_KEY;
const model = process.env.CHARTER_MODEL ?? 'gpt-4o-mini';
// No retries: a test must see each answer the gateway gave, not the SDK's second try.
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 30_000 });
const messages = [{ role: 'user', content: 'Say hello to the JavaScript SDK.' }];

// The error as the SDK classified it: its class name, status and the fields of OpenAI's error shape.
function describe(err) {
  if (!(err instanceof OpenAI.APIError)) {
    return { kind: err?.constructor?.name ?? typeof err, message: String(err) };
  }

  return { kind: err.constructor.name, status: err.status ?? null, type: err.type ?? null, code: err.code ?? null, param: err.param ?? null };
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
  // Chat, the same chat streamed (with usage), embeddings and the model list.
  async basics() {
    const chat = await client.chat.completions.create({ model, messages, max_tokens: 24 });
    const stream = await client.chat.completions.create({ model, messages, max_tokens: 24, stream: true, stream_options: { include_usage: true } });
    let chunks = 0;
    let streamed = '';
    let usage = null;
    let finish = null;
    for await (const chunk of stream) {
      chunks++;
      for (const choice of chunk.choices) {
        streamed += choice.delta?.content ?? '';
        finish = choice.finish_reason ?? finish;
      }

      usage = chunk.usage ?? usage;
    }

    const embeddings = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['one', 'two'], dimensions: 64 });
    const models = [];
    for await (const m of client.models.list()) {
      models.push(m.id);
    }

    return {
      chat: { object: chat.object, content: chat.choices[0].message.content, finish: chat.choices[0].finish_reason, usage: chat.usage },
      stream: { chunks, content: streamed, finish, usage },
      embeddings: { count: embeddings.data.length, dimensions: embeddings.data.map((d) => d.embedding.length) },
      models,
    };
  },

  // A forced tool call streamed through the SDK's stream helper (it assembles the tool-call deltas and checks every
  // chunk), then the tool's answer sent back with the assistant message as the SDK returned it.
  async tools() {
    const tools = [{
      type: 'function',
      function: { name: 'lookup', description: 'Looks a word up.', parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] } },
    }];
    const ask = [{ role: 'user', content: 'What does estuary mean?' }];
    const runner = client.chat.completions.stream({
      model, messages: ask, tools, tool_choice: { type: 'function', function: { name: 'lookup' } }, stream_options: { include_usage: true },
    });
    const first = await runner.finalChatCompletion();
    const message = first.choices[0].message;
    const call = message.tool_calls?.[0] ?? null;
    const second = await client.chat.completions.create({
      model, max_tokens: 8, tools, messages: [...ask, message, { role: 'tool', tool_call_id: call?.id ?? 'none', content: 'A tidal river mouth.' }],
    });
    return {
      finish: first.choices[0].finish_reason,
      calls: message.tool_calls?.length ?? 0,
      call: call && { id: call.id, name: call.function.name, arguments: JSON.parse(call.function.arguments) },
      usage: first.usage ?? null,
      answer: second.choices[0].message.content,
      answerFinish: second.choices[0].finish_reason,
    };
  },

  // The Responses API: a whole response, the same request streamed through the SDK's stream helper (it checks the
  // events' order and assembles the final response), the conversation's next turn, the stored response read back and
  // deleted, and the refusals as the SDK's typed errors.
  async responses() {
    const request = { model, instructions: 'Answer briefly.', input: 'Say hello to the JavaScript SDK.', max_output_tokens: 24 };
    const whole = await client.responses.create(request);
    const stream = client.responses.stream(request);
    let deltas = 0;
    let streamed = '';
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') {
        deltas++;
        streamed += event.delta;
      }
    }

    const final = await stream.finalResponse();
    // The SDK adds output_text to created responses; a streamed one is read from its output items.
    const finalText = final.output.flatMap((item) => item.content ?? []).map((part) => part.text ?? '').join('');
    // The next turn of the conversation, the stored response read back, then deleted.
    const next = await client.responses.create({ model, input: 'And in French?', previous_response_id: whole.id, max_output_tokens: 16 });
    const retrieved = await client.responses.retrieve(whole.id);
    await client.responses.delete(next.id);
    return {
      chain: { previous: next.previous_response_id, status: next.status, retrievedId: retrieved.id, retrievedText: retrieved.output_text },
      deletedThenRetrieved: await attempt(() => client.responses.retrieve(next.id)),
      whole: { id: whole.id, object: whole.object, status: whole.status, text: whole.output_text, usage: whole.usage },
      stream: { deltas, text: streamed, finalText, status: final.status, usage: final.usage },
      background: await attempt(() => client.responses.create({ ...request, background: true })),
    };
  },

  // The legacy completions: a whole answer with log probabilities, the same prompt streamed (with usage), a batch of
  // prompts, and a wrong type as the SDK's typed error.
  async completions() {
    const request = { model, prompt: 'Say hello to the JavaScript SDK.', max_tokens: 12, logprobs: 2 };
    const whole = await client.completions.create(request);
    const stream = await client.completions.create({ ...request, logprobs: undefined, stream: true, stream_options: { include_usage: true } });
    let chunks = 0;
    let streamed = '';
    let usage = null;
    for await (const chunk of stream) {
      chunks++;
      for (const choice of chunk.choices) {
        streamed += choice.text ?? '';
      }

      usage = chunk.usage ?? usage;
    }

    const batch = await client.completions.create({ model, prompt: ['One.', 'Two.'], max_tokens: 4, n: 2 });
    return {
      whole: {
        object: whole.object, text: whole.choices[0].text, finish: whole.choices[0].finish_reason, usage: whole.usage,
        logprobTokens: whole.choices[0].logprobs?.tokens?.length ?? 0, alternatives: Object.keys(whole.choices[0].logprobs?.top_logprobs?.[0] ?? {}).length,
      },
      stream: { chunks, text: streamed, usage },
      batch: { choices: batch.choices.map((c) => c.index) },
      wrongType: await attempt(() => client.completions.create({ model, prompt: 'x', logprobs: 'many' })),
    };
  },

  // Moderations: two texts classified, with and without a model named.
  async moderations() {
    const named = await client.moderations.create({ model: 'omni-moderation-latest', input: ['I want to kill them.', 'Fine weather.'] });
    const unnamed = await client.moderations.create({ input: 'Fine weather.' });
    return {
      flagged: named.results.map((r) => r.flagged),
      violence: named.results[0].categories.violence,
      unnamed: { model: unnamed.model, results: unnamed.results.length },
    };
  },

  // Each refusal as the SDK's typed error.
  async errors() {
    const badKey = new OpenAI({ baseURL, apiKey: 'ck-not-a-key', maxRetries: 0 });
    return {
      badKey: await attempt(() => badKey.chat.completions.create({ model, messages })),
      unknownModel: await attempt(() => client.chat.completions.create({ model: 'no-such-model', messages })),
      wrongType: await attempt(() => client.chat.completions.create({ model, messages, max_tokens: 'many' })),
      tooLarge: await attempt(() => client.chat.completions.create({ model, messages: [{ role: 'user', content: 'x'.repeat(300_000) }] })),
    };
  },

  // A stream the client abandons after its first content (AbortController, as a closed browser tab or a cancelled job
  // would). The SDK ends the iteration quietly on the caller's own abort; the gateway must record the disconnect.
  async abort() {
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model, messages, max_tokens: 300, stream: true },
      { signal: controller.signal },
    );
    let chunks = 0;
    const outcome = await attempt(async () => {
      for await (const chunk of stream) {
        chunks++;
        if (chunk.choices.some((c) => c.delta?.content)) {
          controller.abort();
        }
      }
    });
    return { chunks, outcome };
  },
};

const name = process.argv[2];
if (!(name in scenarios)) {
  console.error(`unknown scenario '${name}'; one of: ${Object.keys(scenarios).join(', ')}`);
  process.exit(2);
}

process.stdout.write(JSON.stringify(await scenarios[name]()) + '\n');
