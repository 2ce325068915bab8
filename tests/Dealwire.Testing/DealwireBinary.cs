using System.Reflection;

namespace Dealwire.Testing;

/// <summary>Finds the built <c>dealwire</c> executable for end-to-end tests.</summary>
public static class DealwireBinary
{
    /// <summary>Environment variable that points at a specific <c>dealwire.dll</c> instead of the repository build.</summary>
    public const string OverrideVariable = "DEALWIRE_HOST_DLL";

    /// <summary>The configuration these test assemblies were built with (Debug or Release).</summary>
    public static string Configuration =>
        typeof(DealwireBinary).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>The repository root: the nearest directory above the test binaries holding Dealwire.sln.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Dealwire.sln"))) return dir.FullName;
            }
            throw new InvalidOperationException($"No Dealwire.sln above {AppContext.BaseDirectory}.");
        }
    }

    /// <summary>Path of <c>dealwire.dll</c> built in the same configuration as the tests.</summary>
    public static string DllPath
    {
        get
        {
            var overridden = Environment.GetEnvironmentVariable(OverrideVariable);
            if (!string.IsNullOrEmpty(overridden))
            {
                return File.Exists(overridden) ? overridden : throw new FileNotFoundException($"{OverrideVariable} points at a missing file.", overridden);
            }
            var path = Path.Combine(RepositoryRoot, "src", "Dealwire.Host", "bin", Configuration, "net10.0", "dealwire.dll");
            return File.Exists(path)
                ? path
                : throw new FileNotFoundException($"dealwire is not built; run: dotnet build src/Dealwire.Host -c {Configuration}", path);
        }
    }
}
