import { createServer, type Server } from 'node:http';

export interface ReceivedMessage {
  text: string;
  /** Arrival, milliseconds since the epoch. */
  at: number;
  userAgent: string | undefined;
}

export interface DemoReceiver {
  url: string;
  /** The messages received, in order. */
  messages: string[];
  /** The same messages with when each arrived and who sent it (its User-Agent), in order. */
  received: ReceivedMessage[];
  close(): Promise<void>;
}

/** A local stand-in for a Slack incoming webhook: takes `{ text }` posts on loopback and hands each on. */
export async function startReceiver(onMessage: (text: string) => void): Promise<DemoReceiver> {
  const messages: string[] = [];
  const received: ReceivedMessage[] = [];
  const server: Server = createServer((req, res) => {
    const at = Date.now();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let text: string;
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { text?: unknown };
        text = typeof body.text === 'string' ? body.text : '';
      } catch {
        res.writeHead(400).end('invalid_payload');
        return;
      }
      messages.push(text);
      received.push({ text, at, userAgent: req.headers['user-agent'] });
      onMessage(text);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/services/demo`,
    messages,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
