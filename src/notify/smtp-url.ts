import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { isLoopback } from '../config/base-url.js';

const FORM = 'use smtp://user:pass@host:port (STARTTLS) or smtps://user:pass@host:port (TLS)';

/**
 * nodemailer options from SMTP_URL. `smtps://` is TLS from the first byte (port 465 by default);
 * `smtp://` must upgrade with STARTTLS (port 587) unless the server is on loopback, where a local relay
 * or sink may offer none. Certificates are always verified. Problems never quote the URL (it holds the password).
 */
export function smtpTransportOptions(value: string, timeoutMs: number): SMTPTransport.Options {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`SMTP_URL is not an absolute URL; ${FORM}`);
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error(`SMTP_URL uses ${url.protocol}, which is not a mail server URL; ${FORM}`);
  if (url.hostname === '') throw new Error(`SMTP_URL names no host; ${FORM}`);
  const secure = url.protocol === 'smtps:';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const options: SMTPTransport.Options = {
    host,
    port: url.port === '' ? (secure ? 465 : 587) : Number(url.port),
    secure,
    requireTLS: !secure && !isLoopback(url.hostname),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
    tls: { rejectUnauthorized: true, servername: host },
  };
  if (url.username !== '') {
    options.auth = { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) };
  }
  return options;
}

/** `smtp://user:pass@mail.example.com:587` → `smtp://mail.example.com:587`: safe to print. */
export function smtpServerName(value: string): string {
  try {
    const url = new URL(value);
    return `${url.protocol}//${url.host}`;
  } catch {
    return '(not a URL)';
  }
}
