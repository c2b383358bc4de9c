using Jobkore.Core.Businesses;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Core.Sync;

/// <summary>
/// A DI scope working for one business with no signed-in person, for background work (the sync worker): its
/// <see cref="ICurrentBusiness"/> is the given business and its user is the system itself.
/// </summary>
public interface IBusinessScopeFactory
{
    AsyncServiceScope CreateScope(BusinessProfile business);
}
