namespace Dealwire.Client;

/// <summary>A pushed item that concerns one trading account (used by the <c>ForLogin</c> filters).</summary>
public interface IAccountScoped
{
    /// <summary>The account login the item concerns.</summary>
    long Login { get; }
}

/// <summary>A pushed item that concerns one symbol (used by the <c>ForSymbol</c> filters).</summary>
public interface ISymbolScoped
{
    /// <summary>The symbol name the item concerns.</summary>
    string Symbol { get; }
}
