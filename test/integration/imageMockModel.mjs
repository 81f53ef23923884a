// A stand-in for the model behind Codex, so that Codex can run a command with no network:
// a Responses API endpoint on 127.0.0.1 that answers the first request with one call of
// Codex's `exec_command` tool, records the tool output Codex sends back, then ends the turn.
//
//   node imageMockModel.mjs PORT COMMAND OUTPUT_FILE
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [port, command, outputFile] = process.argv.slice(2);

function event(response, data) {
    response.write(`event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`);
}

let turn = 0;
createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
        if (request.method !== 'POST' || !request.url.endsWith('/responses')) {
            response.writeHead(404).end();
            return;
        }
        const input = JSON.parse(body).input ?? [];
        const toolOutput = input.find((item) => item.type === 'function_call_output');
        if (toolOutput) appendFileSync(outputFile, `${JSON.stringify(toolOutput.output)}\n`);

        const id = `resp_${++turn}`;
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        event(response, { type: 'response.created', response: { id } });
        const item = toolOutput
            ? {
                  type: 'message',
                  role: 'assistant',
                  id: `msg_${turn}`,
                  content: [{ type: 'output_text', text: 'done' }],
              }
            : {
                  type: 'function_call',
                  name: 'exec_command',
                  call_id: 'call_1',
                  arguments: JSON.stringify({ cmd: command }),
              };
        event(response, { type: 'response.output_item.done', item });
        event(response, {
            type: 'response.completed',
            response: { id, usage: { input_tokens: 1, output_tokens: 1, total_tokens: 2 } },
        });
        response.end();
    });
}).listen(Number(port), '127.0.0.1');
