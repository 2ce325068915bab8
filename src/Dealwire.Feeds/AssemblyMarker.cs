namespace Dealwire.Feeds;

internal static class AssemblyMarker { }
