namespace Dealwire.Client;

internal static class AssemblyMarker { }
