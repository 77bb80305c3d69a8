/// A hand-made campaign list and order log whose readout is worked out by hand in
/// `CampaignReadoutCorrectnessTests` and run through the binary in `CampaignCommandTests`.
///
/// Treatment t1–t4, control c1–c3; x9 is not on the list. For the window 2024-03-01…2024-03-31:
/// t1 2 orders (30), t2 1 (30), t3 an order before the window, t4 none; c1 1 order (15), c2 an
/// order after the window, c3 none.
public enum CampaignFixtures {
  public static let list =
    "customer_id,group\nt1,treatment\nt2,treatment\nt3,treatment\nt4,treatment\n"
    + "c1,control\nc2,control\nc3,control\n"
  public static let orders = """
    customer_id,date,amount
    t1,2024-03-01,10
    t1,2024-03-05,20
    t2,2024-03-02,30
    t3,2024-02-28,50
    c1,2024-03-03,15
    c2,2024-04-01,99
    x9,2024-03-02,1000

    """
}
