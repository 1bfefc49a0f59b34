import { requireTool } from './tools';

describe('requireTool', () => {
  it('finds a tool on the PATH', () => {
    expect(requireTool('sh', 'install a shell')).toMatch(/\/sh$/);
  });

  it('fails, saying what to install, when the tool is missing: tests that need it never pass silently', () => {
    expect(() => requireTool('no-such-tool-here', "install it with `pip install 'no-such-tool'`")).toThrow(
      "'no-such-tool-here' is not on the PATH; install it with `pip install 'no-such-tool'`. These tests run the real tool and cannot run without it.",
    );
  });
});
