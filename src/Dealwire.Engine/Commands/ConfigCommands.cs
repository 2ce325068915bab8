using Dealwire.Engine.Model;

namespace Dealwire.Engine.Commands;

/// <summary>
/// Replaces the server configuration (UpdateConfig). Journaled, so a replay switches rollover mode and the other
/// settings at the same point of the command stream as the live engine did.
/// </summary>
public sealed record UpdateServerConfig(ServerConfig Config) : EngineCommand<ServerConfig>;
