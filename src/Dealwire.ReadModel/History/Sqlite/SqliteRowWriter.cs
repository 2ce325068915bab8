using System.Buffers;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Dealwire.ReadModel.History.Sqlite;

/// <summary>
/// One prepared <c>INSERT</c> bound by position through SQLite's own C API, for the projector's bulk rows.
/// </summary>
/// <remarks>
/// Microsoft.Data.Sqlite binds every parameter by name on every execution, and SQLite finds a name by scanning the
/// statement's parameter list: a 44-column deal row cost ~1 000 string compares before any work (the round-trip
/// profile put a third of the server's CPU there). Binding by index is one call per column, and those calls go
/// straight to the library (<see cref="NativeBinds"/>): through SQLitePCL each one also took and released the
/// statement's safe handle and made a full transition out of managed code, for a call that only stores a value.
/// Values are written exactly as Microsoft.Data.Sqlite writes them (money as invariant text with at least one
/// decimal), so rows read back the same whichever path wrote them. The statement runs in the connection's open
/// transaction.
/// </remarks>
internal sealed class SqliteRowWriter : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly nint _handle;
    private bool _referenced;

    public SqliteRowWriter(SqliteConnection connection, string sql)
    {
        _db = connection.Handle!;
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
        // Held for the writer's life, so the raw pointer stays valid for every bind without a reference per call.
        _statement.DangerousAddRef(ref _referenced);
        _handle = _statement.DangerousGetHandle();
    }

    public void Long(int column, long value) => Check(NativeBinds.Int64(_handle, column, value));

    public void Long(int column, long? value)
    {
        if (value is { } v) Long(column, v);
        else Null(column);
    }

    public void Int(int column, int value) => Check(NativeBinds.Int64(_handle, column, value));

    public void Int(int column, int? value)
    {
        if (value is { } v) Int(column, v);
        else Null(column);
    }

    public void Money(int column, decimal value)
    {
        Span<byte> text = stackalloc byte[MoneyText.MaxLength];
        Utf8Text(column, text[..MoneyText.Format(value, text)]);
    }

    public void Money(int column, decimal? value)
    {
        if (value is { } v) Money(column, v);
        else Null(column);
    }

    public void Text(int column, string? value)
    {
        if (value is null) Null(column);
        else if (value.Length <= 128)
        {
            Span<byte> utf8 = stackalloc byte[128 * 3];
            Utf8Text(column, utf8[..Encoding.UTF8.GetBytes(value, utf8)]);
        }
        else
        {
            // The audit log's JSON: UTF-8 in a pooled buffer instead of a fresh array per row (SQLite copies it).
            var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(value.Length));
            try
            {
                Utf8Text(column, buffer.AsSpan(0, Encoding.UTF8.GetBytes(value, buffer)));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Text already in UTF-8 (the audit images); null binds SQL NULL, an empty array "".</summary>
    public void Utf8(int column, byte[]? value)
    {
        if (value is null) Null(column);
        else Utf8Text(column, value);
    }

    public void Null(int column) => Check(NativeBinds.Null(_handle, column));

    /// <summary>Runs the bound row and readies the statement for the next.</summary>
    public void Insert()
    {
        var rc = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (rc != raw.SQLITE_DONE) throw Failure(rc);
    }

    private void Utf8Text(int column, ReadOnlySpan<byte> utf8) => Check(NativeBinds.Text(_handle, column, utf8));

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK) throw Failure(rc);
    }

    private SqliteException Failure(int rc) => new(raw.sqlite3_errmsg(_db).utf8_to_string(), rc);

    public void Dispose()
    {
        if (_referenced) _statement.DangerousRelease();
        _referenced = false;
        _statement.Dispose();
    }
}
