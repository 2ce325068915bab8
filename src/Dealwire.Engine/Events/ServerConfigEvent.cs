using Dealwire.Engine.Model;

namespace Dealwire.Engine.Events;

/// <summary>The server configuration after an UpdateConfig.</summary>
public sealed record ServerConfigEvent(ServerConfig Config) : EngineEvent;
