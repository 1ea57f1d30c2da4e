import { describe, expect, it } from 'vitest';
import { findPython, pythonCandidates } from './python.js';

describe('findPython', () => {
  it('ROBUSTA_PYTHON, when set, is the only candidate', () => {
    expect(pythonCandidates({ ROBUSTA_PYTHON: '/opt/py/bin/python' })).toEqual(['/opt/py/bin/python']);
  });

  it('finds an interpreter for the standard library, and says what failed for a module that does not exist', () => {
    const env = { ROBUSTA_PYTHON: '/usr/bin/python3' };
    expect(findPython(['json'], env)).toEqual({ python: '/usr/bin/python3', missing: null });
    const absent = findPython(['no_such_module_robusta'], env);
    expect(absent.python).toBeNull();
    expect(absent.missing).toMatch(/no Python imports no_such_module_robusta \(\/usr\/bin\/python3: .*No module named/);
    expect(absent.missing).toMatch(/scripts\/python-env\.sh/);
  });

  it('a missing interpreter is a reason, not a crash', () => {
    const r = findPython(['json'], { ROBUSTA_PYTHON: '/nonexistent/python' });
    expect(r.python).toBeNull();
    expect(r.missing).toMatch(/\/nonexistent\/python: .*ENOENT/);
  });
});
