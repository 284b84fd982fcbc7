"""Word lists the demo generator draws its invented names from (nobody in them is real)."""

WORDS = ["Oak", "Willow", "Beacon", "Harbour", "Bridge", "Meadow", "Compass", "Lantern", "Cedar",
         "Kestrel", "Horizon", "Riverside", "Northern", "Pennine", "Millstone", "Heron", "Thistle",
         "Ember", "Orchard", "Hollin", "Brook", "Summit", "Ivy", "Foundry", "Canal", "Moss",
         "Rowan", "Linden", "Aspen", "Garnet", "Rivington", "Irwell", "Mersey", "Tame", "Goyt"]
FIRST = ["Aisha", "Alan", "Amir", "Amy", "Ann", "Ben", "Bilal", "Carol", "Chloe", "Chris",
         "Claire", "Daniel", "David", "Deborah", "Emma", "Fatima", "Gary", "Grace", "Hannah",
         "Hassan", "Helen", "Ian", "Imran", "Jack", "James", "Jane", "Jo", "John", "Karen",
         "Kate", "Kevin", "Laura", "Leanne", "Lisa", "Mark", "Mary", "Michael", "Mohammed",
         "Nadia", "Neil", "Nicola", "Olivia", "Paul", "Priya", "Rachel", "Ravi", "Rebecca",
         "Richard", "Ruth", "Sam", "Sarah", "Simon", "Sophie", "Stephen", "Susan", "Tom",
         "Tracey", "Wendy", "Yasmin", "Zainab"]
LAST = ["Ahmed", "Ali", "Allen", "Bailey", "Baker", "Begum", "Bell", "Brown", "Clarke",
        "Cooper", "Davies", "Evans", "Green", "Hall", "Harris", "Hughes", "Hussain", "Jackson",
        "James", "Johnson", "Jones", "Khan", "King", "Lee", "Lewis", "Martin", "Mistry", "Moore",
        "Morris", "Nowak", "O'Brien", "Owen", "Patel", "Price", "Roberts", "Robinson", "Shah",
        "Smith", "Taylor", "Thomas", "Turner", "Walker", "Ward", "Watson", "White", "Wilson",
        "Wood", "Wright", "Young"]
TITLES = ["Project Worker", "Development Officer", "Volunteer Coordinator", "Nurse",
          "Social Worker", "Care Coordinator", "Practice Manager", "Link Worker",
          "Community Connector", "Engagement Lead", "Health Improvement Practitioner",
          "Support Worker", "Policy Officer", "Commissioning Manager", "Housing Officer"]
SENIOR_TITLES = ["Chief Executive", "Director of Operations", "Head of Community Services",
                 "Chair of Trustees", "Deputy Director of Nursing", "Assistant Director"]
