// A Worker that verifies one token with a validator made for this request (as a cold isolate would
// make it) whose key store is the ENTRA_KEYS KV namespace, through @org/entra-core/stores/kv.
// It answers what the validator saw: the outcome and the key-related events, without timings.
import { createEntraValidator, isEntraAuthError } from '@org/entra-core';
import { kvKeyStore } from '@org/entra-core/stores/kv';

export default {
  async fetch(request, env) {
    const { validatorOptions, token } = await request.json();
    const events = [];
    const validator = createEntraValidator({
      ...validatorOptions,
      keyStore: kvKeyStore(env.ENTRA_KEYS),
      onEvent: (event) => {
        if (event.type === 'token_verified' || event.type === 'token_rejected') return;
        const {
          durationMs: _durationMs,
          url: _url,
          jwksUri: _jwksUri,
          keyCount: _k,
          ignoredCount: _i,
          ...rest
        } = event;
        events.push(rest);
      },
    });
    let outcome;
    try {
      outcome = { oid: (await validator.verify(token)).objectId };
    } catch (error) {
      if (!isEntraAuthError(error)) throw error;
      outcome = { code: error.code };
    } finally {
      validator.close();
    }
    return Response.json({ ...outcome, events });
  },
};
