using System.Runtime.InteropServices;

namespace Dealwire.ReadModel.History.Sqlite;

/// <summary>
/// SQLite's bind functions called directly on a statement's pointer, from the library Microsoft.Data.Sqlite loads
/// (<c>e_sqlite3</c>). A bind stores a value in the statement (text is copied: <c>SQLITE_TRANSIENT</c>): it never
/// blocks for long nor calls back, so it runs without the transition to preemptive mode
/// (<see cref="SuppressGCTransitionAttribute"/>).
/// </summary>
internal static partial class NativeBinds
{
    private const string Library = "e_sqlite3";

    /// <summary><c>SQLITE_TRANSIENT</c>: SQLite copies the bytes before the call returns.</summary>
    private static readonly nint Transient = -1;

    /// <summary>A non-null pointer for empty text: SQLite reads a null pointer as SQL NULL, not "".</summary>
    private static readonly byte[] Empty = [0];

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_int64"), SuppressGCTransition, DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int Int64(nint statement, int column, long value);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_null"), SuppressGCTransition, DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int Null(nint statement, int column);

    public static int Text(nint statement, int column, ReadOnlySpan<byte> utf8) =>
        BindText(statement, column, ref MemoryMarshal.GetReference(utf8.IsEmpty ? Empty : utf8), utf8.Length, Transient);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_text"), SuppressGCTransition, DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int BindText(nint statement, int column, ref readonly byte text, int length, nint destructor);
}
