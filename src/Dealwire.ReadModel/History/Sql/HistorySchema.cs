namespace Dealwire.ReadModel.History.Sql;

/// <summary>
/// The history schema, written once for both providers with their type names substituted: integers are 64-bit,
/// money and prices exact (PostgreSQL <c>numeric</c>; SQLite text, which <c>Microsoft.Data.Sqlite</c> reads back as
/// <c>decimal</c> without rounding). No partitions: the (login, time, id) indexes keep a login's page an index range
/// scan at 10⁸ rows, and a ticket can keep one primary key even when a manager edits its close time. See docs/history.md.
/// </summary>
internal static class HistorySchema
{
    public sealed record Types(string Int64, string Int32, string Money, string Text, string Bool, string Date);

    public static IEnumerable<string> Statements(Types t)
    {
        var tradeColumns = string.Join(",\n  ", TradeColumns.All.Select(c => $"{c.Name} {Type(c.Type, t)}"));
        foreach (var table in new[] { "deals", "orders" })
        {
            yield return $"CREATE TABLE IF NOT EXISTS {table} (\n  {tradeColumns},\n  PRIMARY KEY (ticket))";
            yield return $"CREATE INDEX IF NOT EXISTS {table}_login_time ON {table} (login, close_time, ticket)";
            yield return $"CREATE INDEX IF NOT EXISTS {table}_time ON {table} (close_time, ticket)";
        }
        yield return $"""
            CREATE TABLE IF NOT EXISTS ledger (
              id {t.Int64} PRIMARY KEY, login {t.Int64} NOT NULL, kind {t.Int32} NOT NULL, amount {t.Money} NOT NULL,
              balance_after {t.Money} NOT NULL, credit_after {t.Money} NOT NULL, ticket {t.Int64} NOT NULL, comment {t.Text} NOT NULL,
              time {t.Int64} NOT NULL, idempotency_key {t.Text}, reference {t.Text}, actor {t.Text} NOT NULL, reverses_id {t.Int64} NOT NULL,
              sequence {t.Int64} NOT NULL)
            """;
        yield return "CREATE INDEX IF NOT EXISTS ledger_login_time ON ledger (login, time, id)";
        yield return "CREATE INDEX IF NOT EXISTS ledger_time ON ledger (time, id)";
        yield return $"""
            CREATE TABLE IF NOT EXISTS accounts (
              login {t.Int64} PRIMARY KEY, grp {t.Text} NOT NULL, currency {t.Text} NOT NULL, leverage {t.Int32} NOT NULL,
              deleted {t.Bool} NOT NULL, sequence {t.Int64} NOT NULL)
            """;
        yield return "CREATE INDEX IF NOT EXISTS accounts_grp ON accounts (grp, login)";
        yield return $"""
            CREATE TABLE IF NOT EXISTS end_of_day (
              day {t.Date} NOT NULL, login {t.Int64} NOT NULL, rollover_time {t.Int64} NOT NULL, month_end {t.Bool} NOT NULL,
              currency {t.Text} NOT NULL, balance {t.Money} NOT NULL, credit {t.Money} NOT NULL, equity {t.Money} NOT NULL,
              margin {t.Money} NOT NULL, free_margin {t.Money} NOT NULL, profit {t.Money} NOT NULL, sequence {t.Int64} NOT NULL,
              PRIMARY KEY (login, day))
            """;
        yield return "CREATE INDEX IF NOT EXISTS end_of_day_day ON end_of_day (day, login)";
        yield return $"""
            CREATE TABLE IF NOT EXISTS audit_log (
              sequence {t.Int64} PRIMARY KEY, time {t.Int64} NOT NULL, actor {t.Text} NOT NULL, source {t.Text},
              command {t.Text} NOT NULL, payload {t.Text} NOT NULL, after {t.Text}, status {t.Text})
            """;
        yield return "CREATE INDEX IF NOT EXISTS audit_log_actor ON audit_log (actor, time)";
        yield return $"""
            CREATE TABLE IF NOT EXISTS candles (
              symbol {t.Text} NOT NULL, timeframe {t.Int32} NOT NULL, time {t.Int64} NOT NULL, open {t.Money} NOT NULL,
              high {t.Money} NOT NULL, low {t.Money} NOT NULL, close {t.Money} NOT NULL, ticks {t.Int64} NOT NULL,
              PRIMARY KEY (symbol, timeframe, time))
            """;
        yield return $"""
            CREATE TABLE IF NOT EXISTS ticks (
              symbol {t.Text} NOT NULL, time {t.Int64} NOT NULL, sequence {t.Int64} NOT NULL, bid {t.Money} NOT NULL,
              ask {t.Money} NOT NULL, PRIMARY KEY (symbol, time, sequence))
            """;
        yield return "CREATE INDEX IF NOT EXISTS ticks_time ON ticks (time)";
        yield return $"CREATE TABLE IF NOT EXISTS projector_state (id {t.Int32} PRIMARY KEY, sequence {t.Int64} NOT NULL)";
    }

    public static string ColumnType(TradeColumns.Type c, Types t) => Type(c, t);

    private static string Type(TradeColumns.Type c, Types t) => c switch
    {
        TradeColumns.Type.Long => t.Int64 + " NOT NULL",
        TradeColumns.Type.Int => t.Int32 + " NOT NULL",
        TradeColumns.Type.Decimal => t.Money + " NOT NULL",
        TradeColumns.Type.Text => t.Text + " NOT NULL",
        TradeColumns.Type.NullableInt => t.Int32,
        TradeColumns.Type.NullableLong => t.Int64,
        _ => t.Money,
    };
}
