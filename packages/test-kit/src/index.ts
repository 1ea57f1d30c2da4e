// @robusta/test-kit: optional requirements (skip locally, fail on CI) and the reference Python.

export { findPython, type PythonProbe, pythonCandidates, REPO_ROOT } from './python.js';
export { onCi, type RequirementOptions, requirement } from './requirement.js';
