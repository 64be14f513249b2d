// yaml is a CommonJS package under Node. Imported statically here, its named exports survive
// bundling; `await import('yaml')` in a bundle with code splitting sees only `default`.
export {parse as parseYaml} from 'yaml';
