import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'packages/*/dist/**',
      'imports/**',
      'schemas/**',
      'vendor/**',
      'node_modules/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message:
            'Only src/cli and the registry service read process.env; pass values in as props.',
        },
      ],
    },
  },
  {
    files: ['src/cli/**', 'packages/agent-registry/src/**', 'bench/**', 'test/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // Tests reach into synthesized JSON by path; typing every manifest shape there adds noise, not safety.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
