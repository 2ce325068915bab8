namespace Dealwire.ManagerApi;

internal static class AssemblyMarker { }
