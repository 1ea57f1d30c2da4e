// The trainer's tests run on the backend the model's tests run on ($ROBUSTA_TEST_BACKEND, else 'robusta'): one choice.
export { TEST_BACKEND, useTestBackend } from '../../model/test-support/backend.js';
