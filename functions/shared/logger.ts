import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The structured JSON logger (Powertools). Log lines carry ids, codes and names, never request
 * variables, addresses or tokens: nothing confidential is ever passed to it.
 */
export const logger = new Logger({ serviceName: 'samordning' });
