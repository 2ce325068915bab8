namespace Dealwire.Engine;

internal static class AssemblyMarker { }
