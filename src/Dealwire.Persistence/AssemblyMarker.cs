namespace Dealwire.Persistence;

internal static class AssemblyMarker { }
