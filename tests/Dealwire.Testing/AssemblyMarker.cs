namespace Dealwire.Testing;

internal static class AssemblyMarker { }
