/**
 * A configuration the platform refuses (an environment variable, a flag): its message is one
 * sentence naming the setting and the rule, which `stp` prints as is, without a stack. Kept apart
 * from config.ts so the CLI can name it without loading the schema validator.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
