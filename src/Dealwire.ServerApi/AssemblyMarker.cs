namespace Dealwire.ServerApi;

internal static class AssemblyMarker { }
