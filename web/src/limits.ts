/**
 * The API's input limits (schema/limits.json, generated into the client package by npm run codegen): the
 * forms refuse exactly what the server would. Nothing here is written by hand.
 */
export { limits } from '../../client/generated/limits';
