// Express 4, installed under an npm alias, typed with the current major's types.
declare module 'express4' {
  import express from 'express';
  export default express;
}
