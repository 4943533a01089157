import { randomBytes } from 'node:crypto';
import { idPrefixes } from '../../ids.js';

/**
 * Request ids in exactly the form of `newId('request')` (`req_` + 10 time characters + 16 random
 * ones, lower-case Crockford base32, so `isId('request', …)` holds), made for the gateway's hot
 * path: the time part is encoded once per millisecond rather than per call, and each random
 * character is one byte of a pooled buffer masked to 5 bits (256 is a multiple of 32, so every
 * character stays uniform and the id keeps its 80 random bits). About 4× cheaper than newId.
 */
const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
const prefix = `${idPrefixes.request}_`;

export function createRequestIds(now: () => number = Date.now): () => string {
  let lastMs = -1;
  let head = '';
  let pool = Buffer.alloc(0);
  let offset = 0;
  return () => {
    const ms = now();
    if (ms !== lastMs) {
      lastMs = ms;
      let time = '';
      let rest = ms;
      for (let i = 0; i < 10; i++) {
        time = alphabet[rest % 32] + time;
        rest = Math.floor(rest / 32);
      }
      head = prefix + time;
    }
    if (offset + 16 > pool.length) {
      pool = randomBytes(4096);
      offset = 0;
    }
    let random = '';
    for (let i = 0; i < 16; i++) random += alphabet[pool[offset + i]! & 31];
    offset += 16;
    return head + random;
  };
}
