// drizzle-kit's durable-sqlite migrations import their SQL as text (wrangler.toml [[rules]]).
declare module "*.sql" {
  const sql: string;
  export default sql;
}
