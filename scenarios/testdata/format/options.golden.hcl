scenario "s" {
  inject "demand" {
    decision "ransom" {
      options = {
        refuse    = "Refuse"
        pay       = "Pay the ransom"
        negotiate = "Engage a negotiator"
      }
      when = !action.x.done && inject.y.delivered
    }
  }


  inject "z" {
    at = "1h"
  }
}
