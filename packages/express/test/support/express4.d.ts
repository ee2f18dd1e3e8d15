// Express 4 is installed under the alias `express4` (npm:express@^4.21), which carries no typings of its own, and
// @types/express@4 beside @types/express@5 would declare Express's global namespace twice. The tests call only what
// both majors have (express(), app.get/post/use, express.json(), res.status/json), so Express 5's typings fit.
declare module 'express4' {
  import express from 'express';
  export default express;
}
