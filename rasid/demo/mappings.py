"""FollowTheMoney mapping files for the demo's tabular datasets, written beside the data.

Each is a single query (``entities:``; ``sheet:`` for the workbook); the importer supplies the
rows and prefixes keys with the dataset name. Entities that must share an id across rows (a
person in several cases, a case with several suspects, a place, a vehicle) are keyed by the
column that names them, with a ``key_literal`` per kind so that equal values of different
kinds never collide. Rows that lack a group, an address or an associate simply yield fewer
entities (``required`` drops a link whose other end is missing).
"""

POLICE = """\
# National police case register: one row per person suspected in a case.
entities:
  person:
    schema: Person
    keys: [person_no]
    key_literal: person
    properties:
      name: {columns: [name_latin, name_ar]}
      birthDate: {column: birth_date}
      gender: {column: gender}
      nationality: {column: nationality}
      idNumber: {column: national_id}
      phone: {column: phone}
      addressEntity: {entity: address}
  address:
    schema: Address
    keys: [address]
    key_literal: address
    properties:
      full: {column: address}
  case:
    schema: CourtCase
    keys: [case_no]
    key_literal: case
    properties:
      name: {template: "Police case {{case_no}}: {{offence}}"}
      caseNumber: {column: case_no}
      fileDate: {column: case_date}
      category: {columns: [offence, offence_ar]}
      status: {column: case_status}
      type: {literal: police investigation}
  party:
    schema: CourtCaseParty
    keys: [case_no, person_no]
    key_literal: party
    properties:
      case: {entity: case, required: true}
      party: {entity: person, required: true}
      role: {column: role}
  group:
    schema: Organization
    keys: [group_code]
    key_literal: group
    properties:
      name: {columns: [group_name, group_name_ar]}
      idNumber: {column: group_code}
      # What the police know the group for (FtM topics): link analysis tells criminal
      # from terrorist groups by them.
      topics: {column: group_topics}
  membership:
    schema: Membership
    keys: [group_code, person_no]
    key_literal: membership
    properties:
      member: {entity: person, required: true}
      organization: {entity: group, required: true}
      role: {column: group_role}
"""

BORDER = """\
# Border police crossings: one row per traveller per crossing; travellers who cross
# together (same vehicle or group) share a journey reference.
sheet: crossings
entities:
  person:
    schema: Person
    keys: [passport_no]
    key_literal: person
    properties:
      name: {columns: [given_names, surname], join: " "}
      firstName: {column: given_names}
      lastName: {column: surname}
      birthDate: {column: birth_date}
      gender: {column: sex}
      nationality: {column: nationality}
      passportNumber: {column: passport_no}
  passport:
    schema: Passport
    keys: [passport_no]
    key_literal: passport
    properties:
      holder: {entity: person, required: true}
      number: {column: passport_no}
      country: {column: issuing_state}
      endDate: {column: passport_expiry}
  vehicle:
    schema: Vehicle
    keys: [vehicle_plate]
    key_literal: vehicle
    properties:
      registrationNumber: {column: vehicle_plate}
      type: {column: vehicle_type}
  origin:
    schema: Address
    keys: [from_place]
    key_literal: place
    properties:
      full: {column: from_place}
  destination:
    schema: Address
    keys: [to_place]
    key_literal: place
    properties:
      full: {column: to_place}
  journey:
    schema: Trip
    keys: [journey_ref]
    key_literal: journey
    properties:
      name: {template: "Journey {{journey_ref}}: {{from_place}} to {{to_place}}"}
      startDate: {column: crossing_date}
      location: {column: crossing_point}
      startLocation: {entity: origin}
      endLocation: {entity: destination}
      vehicle: {entity: vehicle}
      involved: {entity: person}
      recordId: {column: crossing_ref}
"""

PRISONS = """\
# Prison register: one row per inmate (prisoner_no) or registered visitor (visitor_no).
# associate_no names the inmate a visitor visits, or an inmate's cellmate / co-accused.
entities:
  person:
    schema: Person
    keys: [prisoner_no, visitor_no]
    key_literal: person
    properties:
      name: {columns: [name_ar, name_latin]}
      birthDate: {column: birth_date}
      gender: {column: gender}
      nationality: {column: nationality}
      idNumber: {column: national_id}
      notes: {column: affiliation_note}
  detention:
    schema: Event
    keys: [prisoner_no]
    key_literal: detention
    properties:
      name: {template: "Detention {{prisoner_no}}"}
      startDate: {column: admission_date}
      endDate: {column: release_date}
      location: {column: facility}
      summary: {column: offence}
      involved: {entity: person, required: true}
  associate_person:
    # The other inmate: same key kind as `person`, so it is the same entity.
    schema: Person
    keys: [associate_no]
    key_literal: person
  associate:
    schema: Associate
    keys: [prisoner_no, visitor_no, associate_no]
    key_literal: associate
    properties:
      person: {entity: person, required: true}
      associate: {entity: associate_person, required: true}
      relationship: {column: relationship}
"""

MAPPINGS = {
    "police_cases": POLICE,
    "border_crossings": BORDER,
    "prison_register": PRISONS,
}
