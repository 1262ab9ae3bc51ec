import { GraphQLScalarType, Kind } from 'graphql';
import { isIsoDate } from '../shared/dates.js';
import { BadUserInputError } from '../shared/errors.js';
import { formatMoney, parseMoney } from '../shared/money.js';

export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar date, "YYYY-MM-DD".',
  serialize: (value) => String(value),
  parseValue(value) {
    if (typeof value !== 'string' || !isIsoDate(value))
      throw new BadUserInputError('A Date must be a real day written "YYYY-MM-DD".', 'Date');
    return value;
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING || !isIsoDate(ast.value))
      throw new BadUserInputError('A Date must be a real day written "YYYY-MM-DD".', 'Date');
    return ast.value;
  },
});

export const DateTimeScalar = new GraphQLScalarType<string, string>({
  name: 'DateTime',
  description: 'An instant, ISO 8601 in UTC.',
  serialize: (value) => String(value),
  parseValue(value) {
    if (typeof value !== 'string' || Number.isNaN(Date.parse(value)))
      throw new BadUserInputError('A DateTime must be ISO 8601.', 'DateTime');
    return new Date(value).toISOString();
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING || Number.isNaN(Date.parse(ast.value)))
      throw new BadUserInputError('A DateTime must be ISO 8601.', 'DateTime');
    return new Date(ast.value).toISOString();
  },
});

export const MoneyScalar = new GraphQLScalarType<bigint, string>({
  name: 'Money',
  description: 'An exact amount in NOK, a decimal string with at most two decimals.',
  serialize: (value) => formatMoney(value as bigint | number | string),
  parseValue: (value) => parseMoney(value, 'Money'),
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new BadUserInputError('Money must be a decimal string such as "1250000.00".', 'Money');
    return parseMoney(ast.value, 'Money');
  },
});
