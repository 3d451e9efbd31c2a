// Koa 2, installed under an npm alias, typed with the current major's types.
declare module 'koa2' {
  import Koa from 'koa';
  export default Koa;
}
