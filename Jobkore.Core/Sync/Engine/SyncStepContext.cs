using Jobkore.Core.QuickBooks.Client;
using Jobkore.Core.QuickBooks.Settings;

namespace Jobkore.Core.Sync.Engine;

/// <summary>What every step of a run works with: the company and its settings, and the run's recorder, dispatcher and look-ups.</summary>
internal sealed record SyncStepContext(QboCompany Company, QuickBooksSettingsView Settings, SyncRecorder Recorder, SyncDispatcher Dispatcher, SyncLookups Lookups);
