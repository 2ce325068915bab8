using Dealwire.Cluster;
using Dealwire.ReadModel.Live;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dealwire.Host.Serving;

/// <summary>
/// The <c>Cluster</c> section and this node's <see cref="IClusterStatus"/>. Without <c>Cluster:Members</c> the
/// process is a single node, leader of itself, and nothing else changes.
/// </summary>
internal static class ClusterRegistration
{
    public static ClusterOptions ReadOptions(IConfiguration configuration)
    {
        var options = configuration.GetSection(ClusterOptions.Section).Get<ClusterOptions>() ?? new ClusterOptions();
        options.Validate();
        return options;
    }

    public static void AddCluster(IServiceCollection services, IConfiguration configuration)
    {
        var options = ReadOptions(configuration);
        services.AddSingleton(options);
        if (!options.IsClustered)
        {
            services.AddSingleton<IClusterStatus>(sp =>
            {
                var view = sp.GetRequiredService<ILiveView>();
                return new SingleNodeStatus(options.NodeId, () => view.Sequence);
            });
        }
    }
}
