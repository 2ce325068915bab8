namespace Dealwire.WebConsole;

/// <summary>The <c>Console</c> configuration section of the dealer's web console.</summary>
public sealed class ConsoleOptions
{
    public const string Section = "Console";

    /// <summary>A session unused this long is signed out (the next request goes to the sign-in page).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Rows per page of every table: the browser never receives a whole list.</summary>
    public int PageSize { get; set; } = 50;

    /// <summary>
    /// Shortest gap between two pushes of one live view to one page: the view is re-rendered at most this often,
    /// whatever the tick rate, so a busy feed costs each open page one fragment per interval.
    /// </summary>
    public TimeSpan LiveInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    public void Validate()
    {
        if (IdleTimeout <= TimeSpan.Zero) throw new InvalidOperationException("Console:IdleTimeout must be positive.");
        if (PageSize is < 1 or > 1000) throw new InvalidOperationException("Console:PageSize must be 1-1000.");
        if (LiveInterval < TimeSpan.FromMilliseconds(50)) throw new InvalidOperationException("Console:LiveInterval must be at least 50 ms.");
    }
}
