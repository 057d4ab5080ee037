// Calls to the API through the gateway. Every failure becomes an ApiError carrying a sentence a person
// can read, and the field errors of the problem answer.
export class ApiError extends Error {
  constructor(status, message, fieldErrors = [], retryAfter = null) {
    super(message);
    this.status = status;
    this.fieldErrors = fieldErrors;
    this.retryAfter = retryAfter;
  }
}

const EXPLANATIONS = {
  400: 'Some of what you entered is not valid.',
  404: 'It no longer exists; it may have been deleted.',
  413: 'What you sent is too large.',
  422: 'It refers to something that does not exist.',
  502: 'A service failed to answer.',
  503: 'A service is unavailable right now.',
  504: 'A service took too long to answer.',
};

export async function api(method, path, body, headers = {}) {
  let response;
  try {
    response = await fetch('/api' + path, {
      method,
      headers: body === undefined ? headers : {'Content-Type': 'application/json', ...headers},
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, 'The server cannot be reached. Check your connection and try again.');
  }
  if (response.status === 204) return null;
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = null;
  }
  if (!response.ok) {
    const explanation = (json && json.detail) || EXPLANATIONS[response.status] || `The request failed (${response.status}).`;
    const retryAfter = response.headers.get('Retry-After');
    const retry = retryAfter && !explanation.includes('try again') ? ` Try again in ${retryAfter} s.` : '';
    throw new ApiError(response.status, explanation + retry, (json && json.errors) || [], retryAfter);
  }
  return json;
}

export function newIdempotencyKey() {
  return crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + '-' + Math.random().toString(36).slice(2);
}
