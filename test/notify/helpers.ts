import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { Notification } from '../../src/notify/notification.js';

export function notification(overrides: Partial<Notification> = {}): Notification {
  return {
    event: 'failed',
    issueKey: 'SCR-12',
    summary: 'Scrape alfabeta prices',
    source: 'alfabeta',
    ticketUrl: 'https://jira.example.com/browse/SCR-12',
    dagId: 'scraper_alfabeta',
    dagRunId: 'jira__SCR-12__1',
    runUrl: 'https://airflow.example.com/dags/scraper_alfabeta/grid?dag_run_id=jira__SCR-12__1',
    detail: 'portal answered 503',
    ...overrides,
  };
}

export interface ReceivedPost {
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The status it was answered with; undefined while held, or when its sender went away unanswered. */
  status?: number;
}

export interface HttpReceiver {
  url: string;
  posts: ReceivedPost[];
  /** Status (and body) for the next requests, in order; 200 `ok` once they run out. */
  answers: Array<{ status: number; body?: string; headers?: Record<string, string> }>;
  /** How many of the next requests are held unanswered (a send under way) until the sender goes away or close(). */
  holdNext: number;
  close(): Promise<void>;
}

/** A webhook stand-in on loopback that records every request it gets. */
export async function httpReceiver(): Promise<HttpReceiver> {
  const posts: ReceivedPost[] = [];
  const answers: HttpReceiver['answers'] = [];
  const control = { holdNext: 0 };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const post: ReceivedPost = { url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
      posts.push(post);
      if (control.holdNext > 0) {
        control.holdNext -= 1;
        return;
      }
      const answer = answers.shift() ?? { status: 200, body: 'ok' };
      post.status = answer.status;
      response.writeHead(answer.status, { 'Content-Type': 'text/plain', ...answer.headers });
      response.end(answer.body ?? '');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/services/T000/B000/secret-token`,
    posts,
    answers,
    get holdNext() {
      return control.holdNext;
    },
    set holdNext(count: number) {
      control.holdNext = count;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Held requests would keep close() waiting for ever.
        server.closeAllConnections();
      }),
  };
}

export interface ReceivedMail {
  from: string | undefined;
  to: string[];
  user: string | undefined;
  raw: string;
  /** Header value by lower-case name (first occurrence, unfolded). */
  header(name: string): string | undefined;
  /** The body, quoted-printable decoded. */
  text(): string;
}

export interface SmtpSink {
  /** `smtp://user:pass@127.0.0.1:<port>` */
  url: string;
  port: number;
  mails: ReceivedMail[];
  /** Replies for the next messages' DATA, in order; accepted once they run out. */
  rejects: Array<{ code: number; message: string }>;
  close(): Promise<void>;
}

export const SMTP_USER = 'reconciler';
export const SMTP_PASS = 'p@ss:word';

/** A mail server on loopback without STARTTLS (allowed there), with login, that keeps what it gets. */
export async function smtpSink(): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  const rejects: SmtpSink['rejects'] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASS) return callback(null, { user: auth.username });
      return callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const reject = rejects.shift();
        if (reject) return callback(Object.assign(new Error(reject.message), { responseCode: reject.code }));
        const raw = Buffer.concat(chunks).toString('utf8');
        const from = session.envelope.mailFrom;
        mails.push({
          from: from ? from.address : undefined,
          to: session.envelope.rcptTo.map((address) => address.address),
          user: typeof session.user === 'string' ? session.user : undefined,
          raw,
          header: (name) => headerOf(raw, name),
          text: () => bodyOf(raw),
        });
        callback();
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://${SMTP_USER}:${encodeURIComponent(SMTP_PASS)}@127.0.0.1:${port}`,
    port,
    mails,
    rejects,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function headerOf(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/, 1)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

function bodyOf(raw: string): string {
  const at = raw.search(/\r?\n\r?\n/);
  const body = raw.slice(at).replace(/^\r?\n\r?\n/, '');
  if (!/quoted-printable/i.test(headerOf(raw, 'content-transfer-encoding') ?? '')) return body.replace(/\r\n/g, '\n');
  return body
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/\r\n/g, '\n');
}
