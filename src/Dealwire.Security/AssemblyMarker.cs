namespace Dealwire.Security;

internal static class AssemblyMarker { }
