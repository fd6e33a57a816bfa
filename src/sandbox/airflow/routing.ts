import type { Handler, SimResponse } from '../common/http.js';
import { InputError } from './input.js';

/** Registers one route; the version's router wraps each handler so bad input becomes its error shape. */
export type AddRoute = (method: string, pattern: string, handler: Handler) => void;

export function withInputErrors(handler: Handler, answer: (error: InputError) => SimResponse): Handler {
  return async (req) => {
    try {
      return await handler(req);
    } catch (error) {
      if (error instanceof InputError) return answer(error);
      throw error;
    }
  };
}
