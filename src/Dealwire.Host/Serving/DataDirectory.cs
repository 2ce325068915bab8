namespace Dealwire.Host.Serving;

/// <summary>The server's data directory (absolute path), registered in DI for components that keep files there.</summary>
public sealed record DataDirectory(string Path)
{
    /// <summary>The demo admin token written on the first start.</summary>
    public string AdminTokenFile => System.IO.Path.Combine(Path, "admin-token.txt");
}
