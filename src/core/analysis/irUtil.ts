// Moved to the one IR walker, `src/core/ir/walk.ts`; kept as a re-export so analysis imports still resolve.
export {
  visitExpr,
  stmtExprs,
  childStmts,
  visitStmts,
  readsVar,
  exprVars,
  hasLoad,
  sameExpr,
  declaredNames,
  assignedNames,
  storedArrays,
  allExprs,
  v,
  c,
  someExpr,
  someStmt,
} from '../ir/walk.js';
