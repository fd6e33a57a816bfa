/** A configuration that cannot be used; the message lists every problem found, one per line. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[], configFile: string | null) {
    const where = configFile === null ? 'no config file' : `config file ${configFile}`;
    super(
      `Invalid configuration (${where}); fix these and start again:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
    this.problems = problems;
  }
}
