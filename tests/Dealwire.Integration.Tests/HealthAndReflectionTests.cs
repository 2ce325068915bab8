using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;

namespace Dealwire.Integration.Tests;

/// <summary>
/// Standard tools discover the services: the gRPC health protocol (grpc_health_probe) answers SERVING, and server
/// reflection (grpcurl list/describe) names the three integration services, without a manager key.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class HealthAndReflectionTests(IntegrationFixture fixture)
{
    [Fact]
    public async Task Health_checking_answers_SERVING_without_a_key()
    {
        var health = new Health.HealthClient(fixture.Channel);
        var reply = await health.CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }

    [Fact]
    public async Task Reflection_lists_the_three_integration_services()
    {
        var reflection = new ServerReflection.ServerReflectionClient(fixture.Channel);
        using var call = reflection.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "cfd_integration_engine.EngineIntegrationGrpcService" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("cfd_integration_accounts.AccountsIntegrationGrpcService", services);
        Assert.Contains("cfd_integration_engine.EngineIntegrationGrpcService", services);
        Assert.Contains("cfd_integration_trading_settings.TradingSettingsIntegrationGrpcService", services);
        Assert.Contains("grpc.health.v1.Health", services);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.NotEmpty(call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto);
    }

    [Fact]
    public async Task The_HTTP_ports_paths_are_not_served_on_the_integration_port_and_vice_versa()
    {
        // /health answers on the HTTP port only; the gRPC port is HTTP/2-only and maps nothing but the services.
        using var http = await fixture.Server.GetAsync("health");
        Assert.Equal(System.Net.HttpStatusCode.OK, http.StatusCode);
        using var h2c = new HttpClient { DefaultRequestVersion = System.Net.HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var onGrpcPort = await h2c.GetAsync(new Uri(fixture.Server.IntegrationAddress, "health"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, onGrpcPort.StatusCode);
    }
}
