/** File keys that look like someone tried to put a credential in the config file, and where it belongs. */
const KNOWN: Readonly<Record<string, string>> = {
  'jira.username': 'JIRA_USERNAME',
  'jira.user': 'JIRA_USERNAME',
  'jira.email': 'JIRA_USERNAME',
  'jira.apiToken': 'JIRA_API_TOKEN',
  'jira.token': 'JIRA_API_TOKEN',
  'jira.password': 'JIRA_API_TOKEN',
  'jira.pat': 'JIRA_PAT',
  'airflow.token': 'AIRFLOW_TOKEN',
  'airflow.user': 'AIRFLOW_USER',
  'airflow.username': 'AIRFLOW_USER',
  'airflow.pass': 'AIRFLOW_PASS',
  'airflow.password': 'AIRFLOW_PASS',
  'notifications.slack.webhookUrl': 'SLACK_WEBHOOK_URL',
  'notifications.slack.webhook': 'SLACK_WEBHOOK_URL',
  'notifications.slack.url': 'SLACK_WEBHOOK_URL',
  'notifications.email.smtpUrl': 'SMTP_URL',
  'notifications.email.smtp': 'SMTP_URL',
  'notifications.email.url': 'SMTP_URL',
};

const SECRET_LOOKING = /token|passw|^pass$|secret|^pat$|api_?key|credential|^user(name)?$|^email$|^auth/i;

/** A hint for an unknown key that looks like a secret, or undefined for an ordinary unknown key. */
export function secretKeyHint(dottedKey: string): string | undefined {
  const variable = KNOWN[dottedKey];
  if (variable !== undefined) {
    return (
      `secrets are never read from the config file; set ${variable} in the environment, ` +
      `or ${variable}_FILE, or a systemd LoadCredential= named ${variable.toLowerCase()}`
    );
  }
  const last = dottedKey.split('.').pop() ?? '';
  if (!SECRET_LOOKING.test(last)) return undefined;
  return (
    'secrets are never read from the config file; set JIRA_USERNAME, JIRA_API_TOKEN, JIRA_PAT, AIRFLOW_TOKEN, ' +
    'AIRFLOW_USER or AIRFLOW_PASS in the environment, or as X_FILE, or a systemd LoadCredential= named x in lower case'
  );
}
