/** Phrases of PostgreSQL's own error messages: none may reach a client (issue 14.4). */
export const DATABASE_TEXT =
  /invalid input syntax|out of range|violates|does not exist|date\/time field|syntax error|relation "|column "|operator does not|invalid input value|malformed|unterminated/i;
