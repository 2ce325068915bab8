namespace Dealwire.Feeds.Fix;

/// <summary>The FIX 4.4 tags the market-data initiator reads or writes (numbers from the FIX 4.4 specification).</summary>
public static class FixTags
{
    public const int BeginSeqNo = 7;
    public const int BeginString = 8;
    public const int BodyLength = 9;
    public const int CheckSum = 10;
    public const int EndSeqNo = 16;
    public const int MsgSeqNum = 34;
    public const int MsgType = 35;
    public const int NewSeqNo = 36;
    public const int PossDupFlag = 43;
    public const int RefSeqNum = 45;
    public const int SenderCompId = 49;
    public const int SendingTime = 52;
    public const int Symbol = 55;
    public const int TargetCompId = 56;
    public const int Text = 58;
    public const int EncryptMethod = 98;
    public const int HeartBtInt = 108;
    public const int TestReqId = 112;
    public const int OrigSendingTime = 122;
    public const int GapFillFlag = 123;
    public const int ResetSeqNumFlag = 141;
    public const int NoRelatedSym = 146;
    public const int MdReqId = 262;
    public const int SubscriptionRequestType = 263;
    public const int MarketDepth = 264;
    public const int MdUpdateType = 265;
    public const int NoMdEntryTypes = 267;
    public const int NoMdEntries = 268;
    public const int MdEntryType = 269;
    public const int MdEntryPx = 270;
    public const int MdEntrySize = 271;
    public const int MdUpdateAction = 279;
    public const int MdReqRejReason = 281;
    public const int Username = 553;
    public const int Password = 554;
}

/// <summary>The message types (tag 35) of the session layer and of market data.</summary>
public static class FixMsgTypes
{
    public const string Heartbeat = "0";
    public const string TestRequest = "1";
    public const string ResendRequest = "2";
    public const string Reject = "3";
    public const string SequenceReset = "4";
    public const string Logout = "5";
    public const string Logon = "A";
    public const string MarketDataRequest = "V";
    public const string MarketDataSnapshot = "W";
    public const string MarketDataIncremental = "X";
    public const string MarketDataRequestReject = "Y";

    /// <summary>Session-level (admin) messages: answered by the session layer, never handed to market data.</summary>
    public static bool IsAdmin(string type) => type is Heartbeat or TestRequest or ResendRequest or Reject or SequenceReset or Logout or Logon;
}
