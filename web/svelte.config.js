// Svelte compiles TypeScript's type syntax itself; nothing to preprocess.
export default {};
